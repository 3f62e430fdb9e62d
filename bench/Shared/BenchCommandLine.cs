using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;
using Spectre.Console;

namespace Platform.Bench;

/// <summary>
/// The benches' command lines (System.CommandLine) and console (Spectre.Console): each bench declares its options
/// on a <see cref="RootCommand"/>, reads them here, and ends with a results table.
/// </summary>
public static class BenchCommandLine
{
    /// <summary>A whole-number option (<c>--runs N</c>, N ≥ 0) with its default, which the help shows.</summary>
    public static Option<int> Number(string name, int fallback, string description) => new(name)
    {
        HelpName = "N",
        Description = description,
        DefaultValueFactory = _ => fallback,
        CustomParser = result => WholeNumber(result, name),
    };

    /// <summary>The one token as a whole number of 0 or more; anything else is an error naming the option and the value.</summary>
    public static int WholeNumber(ArgumentResult result, string name)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
        result.AddError($"{name} needs a whole number of 0 or more, not '{string.Join(' ', result.Tokens.Select(t => t.Value))}'.");
        return 0;
    }

    /// <summary>
    /// Parses <paramref name="args"/>. Null when there is nothing to run: then <paramref name="exitCode"/> is 0 (help
    /// shown) or 2 (a wrong command line, each problem named on stderr).
    /// </summary>
    public static ParseResult? Read(RootCommand root, string[] args, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var problem in parsed.Errors) Console.Error.WriteLine(problem.Message);
            Console.Error.WriteLine("Run with --help to see the options.");
            exitCode = 2;
            return null;
        }
        if (parsed.Action is not null)
        {
            exitCode = parsed.Invoke();   // --help
            return null;
        }
        // Redirected to a file, Spectre would fold tables at 80 columns.
        if (!AnsiConsole.Profile.Out.IsTerminal) AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        exitCode = 0;
        return parsed;
    }

    /// <summary>A phase of the bench starting (servers, seeding, warm-up): one dim line.</summary>
    public static void Phase(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{text}[/]");

    /// <summary>The results table the bench ends with: a row per run, then the median row in bold.</summary>
    public static Table Results(string title, params string[] columns)
    {
        var table = new Table { Title = new TableTitle(title) }.AddColumn("run");
        foreach (var column in columns) table.AddColumn(column, c => c.RightAligned());
        return table;
    }

    public static void AddMedian(this Table table, params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.AddRow([new Markup("[bold]median[/]"), .. cells.Select(c => new Markup($"[bold]{Markup.Escape(c)}[/]"))]);
    }
}
