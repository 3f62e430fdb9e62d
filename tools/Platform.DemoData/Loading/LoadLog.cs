using Spectre.Console;

namespace Platform.DemoData.Loading;

/// <summary>What one load did.</summary>
/// <param name="Created">Things created (and council designations made) by this run.</param>
/// <param name="AlreadyThere">Things found as the stories tell them and left alone.</param>
/// <param name="Notes">Things found differently from the stories and left as they are (e.g. a withdrawn membership).</param>
/// <param name="Organizations">Organization slug → id.</param>
/// <param name="Consortia">Consortium slug → id.</param>
public sealed record LoadSummary(int Created, int AlreadyThere, IReadOnlyList<string> Notes,
    IReadOnlyDictionary<string, Guid> Organizations, IReadOnlyDictionary<string, Guid> Consortia);

/// <summary>
/// The loader's output: one line per item, saying whether it was created or already there. Redirected (CI, tests,
/// a log file) these are plain lines on the writer; on a terminal (<paramref name="terminal"/>) the same lines go
/// through Spectre.Console above a live display of each step, and a table of the counts per area ends the run.
/// </summary>
public sealed class LoadLog(TextWriter output, IAnsiConsole? terminal = null)
{
    private readonly List<string> _notes = [];
    private readonly SortedDictionary<string, int[]> _areas = new(StringComparer.Ordinal);
    private int _created;
    private int _alreadyThere;
    private ProgressContext? _progress;
    private ProgressTask? _step;
    private string _stepTitle = "";

    /// <summary>
    /// Spectre's console when <paramref name="output"/> is this process's own console and Spectre finds it an
    /// interactive ANSI terminal; null (plain lines) otherwise.
    /// </summary>
    public static IAnsiConsole? TerminalBehind(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && AnsiConsole.Profile.Out.IsTerminal
        && AnsiConsole.Profile.Capabilities is { Interactive: true, Ansi: true }
            ? AnsiConsole.Console
            : null;

    public IAnsiConsole? Terminal => terminal;

    public void Heading(string title)
    {
        _stepTitle = title;
        if (terminal is null) output.WriteLine(title);
        else terminal.MarkupLineInterpolated($"[bold]{title}[/]");
    }

    /// <summary>The live display's line for the current step, kept up to date with its counts.</summary>
    internal void Track(ProgressContext progress, ProgressTask step)
    {
        _progress = progress;
        _step = step;
        ShowCounts();
    }

    /// <summary>The current step stopped on a refusal; the exception goes on to the caller.</summary>
    internal void StepFailed()
    {
        if (_step is null) return;
        _step.Description = $"[red]failed[/] {Markup.Escape(_stepTitle)}";
        _step.StopTask();
        // The display stops with the exception; show the failure before it does.
        _progress?.Refresh();
    }

    internal void StepDone()
    {
        if (_step is null) return;
        _step.Value = _step.MaxValue;
        _step.StopTask();
    }

    public void Created(string what, string name)
    {
        _created++;
        Count(what, 0);
        Line("created", "green", what, name);
    }

    public void AlreadyThere(string what, string name)
    {
        _alreadyThere++;
        Count(what, 1);
        Line("already there", "grey", what, name);
    }

    /// <summary>Found, but not as the story tells it; the loader does not overrule what someone changed.</summary>
    public void LeftAsIs(string what, string name, string why)
    {
        _notes.Add($"{what} {name}: {why}");
        Count(what, 2);
        Line("left as is", "yellow", what, $"{name}: {why}");
    }

    internal LoadSummary Summary(DemoContext context) =>
        new(_created, _alreadyThere, [.. _notes], new Dictionary<string, Guid>(context.Organizations), new Dictionary<string, Guid>(context.Consortia));

    internal void Finish(LoadSummary summary)
    {
        var done = $"Done: {summary.Created} created, {summary.AlreadyThere} already there, {summary.Notes.Count} left as is.";
        if (terminal is null)
        {
            output.WriteLine(done);
            return;
        }
        var table = new Table().AddColumn("area").AddColumn("created", c => c.RightAligned())
            .AddColumn("already there", c => c.RightAligned()).AddColumn("left as is", c => c.RightAligned());
        foreach (var (area, counts) in _areas)
            table.AddRow(Markup.Escape(area), Count(counts[0], "green"), Count(counts[1], "grey"), Count(counts[2], "yellow"));
        terminal.Write(table);
        terminal.WriteLine(done);
    }

    private static string Count(int count, string colour) => count == 0 ? "0" : $"[{colour}]{count}[/]";

    private void Count(string what, int outcome)
    {
        if (!_areas.TryGetValue(what, out var counts)) _areas[what] = counts = new int[3];
        counts[outcome]++;
        ShowCounts();
    }

    private void ShowCounts()
    {
        if (_step is null) return;
        _step.Description = $"{Markup.Escape(_stepTitle)}: [green]{_created} created[/], {_alreadyThere} already there, [yellow]{_notes.Count} left as is[/]";
    }

    private void Line(string outcome, string colour, string what, string name)
    {
        if (terminal is null) output.WriteLine($"  {outcome,-14} {what,-16} {name}");
        else terminal.MarkupLineInterpolated($"  [{colour}]{outcome,-14}[/] {what,-16} {name}");
    }
}
