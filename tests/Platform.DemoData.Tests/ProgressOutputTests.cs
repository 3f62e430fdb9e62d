using Platform.DemoData.Loading;
using Spectre.Console;

namespace Platform.DemoData.Tests;

/// <summary>The loader's output: plain lines when redirected, Spectre's live display and a table on a terminal.</summary>
public sealed class ProgressOutputTests
{
    [Fact]
    public async Task Redirected_the_output_is_one_plain_line_per_item()
    {
        using var output = new StringWriter();
        using var http = new HttpClient();

        await DemoLoader.LoadAsync(new DemoServices(http), output, [new StoryLikeStep()], TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                "Story-like step",
                "  created        organization     Jinan Hongyuan Technician College",
                "  already there  organization     Shandong Aotto Automation",
                "  left as is     membership       Tianjin Mould Industry Association: the membership is Withdrawn",
                "Done: 1 created, 1 already there, 1 left as is.",
            ],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task On_a_terminal_the_steps_show_live_and_a_table_counts_each_area()
    {
        using var output = new StringWriter();
        using var http = new HttpClient();
        var terminal = Terminal(output);

        var summary = await DemoLoader.LoadAsync(new DemoServices(http), new LoadLog(output, terminal), [new StoryLikeStep()], TestContext.Current.CancellationToken);

        Assert.Equal(1, summary.Created);
        var text = output.ToString();
        Assert.Contains("Jinan Hongyuan Technician College", text, StringComparison.Ordinal);
        Assert.Contains("Story-like step: 1 created, 1 already there, 1 left as is", text, StringComparison.Ordinal);
        Assert.Matches(@"organization\W+1\W+1\W+0", text);
        Assert.Matches(@"membership\W+0\W+0\W+1", text);
        Assert.Contains("Done: 1 created, 1 already there, 1 left as is.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_terminal_a_refused_step_is_marked_failed_and_the_error_goes_on()
    {
        using var output = new StringWriter();
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            DemoLoader.LoadAsync(new DemoServices(http), new LoadLog(output, Terminal(output)), [new StoryLikeStep(fail: true)], TestContext.Current.CancellationToken));

        Assert.Contains("failed Story-like step", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Done:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_writer_that_is_not_the_console_gets_plain_lines()
    {
        using var output = new StringWriter();

        Assert.Null(LoadLog.TerminalBehind(output));
    }

    /// <summary>What Spectre would find on an interactive terminal, written to <paramref name="output"/> without colours.</summary>
    private static IAnsiConsole Terminal(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Yes,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(output),
    });

    private sealed class StoryLikeStep(bool fail = false) : IDemoStep
    {
        public string Title => "Story-like step";

        public Task RunAsync(DemoContext context, CancellationToken cancellationToken)
        {
            context.Log.Created("organization", "Jinan Hongyuan Technician College");
            context.Log.AlreadyThere("organization", "Shandong Aotto Automation");
            if (fail) throw new InvalidOperationException("refused");
            context.Log.LeftAsIs("membership", "Tianjin Mould Industry Association", "the membership is Withdrawn");
            return Task.CompletedTask;
        }
    }
}
