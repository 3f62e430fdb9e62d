namespace Platform.DemoData.Loading;

/// <summary>What one load did.</summary>
/// <param name="Created">Things created (and council designations made) by this run.</param>
/// <param name="AlreadyThere">Things found as the stories tell them and left alone.</param>
/// <param name="Notes">Things found differently from the stories and left as they are (e.g. a withdrawn membership).</param>
/// <param name="Organizations">Organization slug → id.</param>
/// <param name="Consortia">Consortium slug → id.</param>
public sealed record LoadSummary(int Created, int AlreadyThere, IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, Guid> Organizations, IReadOnlyDictionary<string, Guid> Consortia);

/// <summary>The loader's output: one line per item, saying whether it was created or already there.</summary>
public sealed class LoadLog(TextWriter output)
{
    private readonly List<string> _notes = [];
    private int _created;
    private int _alreadyThere;

    public void Heading(string title) => output.WriteLine(title);

    public void Created(string what, string name)
    {
        _created++;
        Line("created", what, name);
    }

    public void AlreadyThere(string what, string name)
    {
        _alreadyThere++;
        Line("already there", what, name);
    }

    /// <summary>Found, but not as the story tells it; the loader does not overrule what someone changed.</summary>
    public void LeftAsIs(string what, string name, string why)
    {
        _notes.Add($"{what} {name}: {why}");
        Line("left as is", what, $"{name}: {why}");
    }

    internal LoadSummary Summary(DemoContext context) =>
        new(_created, _alreadyThere, [.. _notes], new Dictionary<string, Guid>(context.Organizations), new Dictionary<string, Guid>(context.Consortia));

    internal void Finish(LoadSummary summary) =>
        output.WriteLine($"Done: {summary.Created} created, {summary.AlreadyThere} already there, {summary.Notes.Count} left as is.");

    private void Line(string outcome, string what, string name) => output.WriteLine($"  {outcome,-14} {what,-16} {name}");
}
