using Platform.AppHost.Local;

namespace Platform.AppHost.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_option()
    {
        var (exitCode, output) = await AppHostProcess.RunToEndAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--data <DIR>", "--fresh", "--no-build", "--demo", "--help", "./run.sh [options]", "DIR/endpoints.json" })
            Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_named_and_nothing_starts()
    {
        var (exitCode, output) = await AppHostProcess.RunToEndAsync("--no-biuld");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unrecognized command or argument '--no-biuld'", output, StringComparison.Ordinal);
        Assert.Contains("Run with --help", output, StringComparison.Ordinal);
    }

    public static TheoryData<string[], AppHostOptions> GoodCommandLines => new()
    {
        { [], new AppHostOptions() },
        { ["--data", "/tmp/platform"], new AppHostOptions { DataFolder = "/tmp/platform" } },
        { ["--data=/tmp/platform", "--fresh"], new AppHostOptions { DataFolder = "/tmp/platform", Fresh = true } },
        { ["--demo", "--fresh", "--data", "d"], new AppHostOptions { DataFolder = "d", Fresh = true, Demo = true } },
        // run.sh takes --no-build away; given to the AppHost itself it changes nothing.
        { ["--no-build", "--demo"], new AppHostOptions { Demo = true } },
    };

    [Theory]
    [MemberData(nameof(GoodCommandLines))]
    public void A_good_command_line_gives_its_options(string[] args, AppHostOptions expected)
    {
        var (options, exitCode, output, error) = Read(args);

        Assert.Equal(expected, options);
        Assert.Equal(0, exitCode);
        Assert.Equal("", output + error);
    }

    [Theory]
    [InlineData("--data", "Required argument missing for option: '--data'")]
    [InlineData("--data --fresh", "--data needs a folder: --data DIR")]
    [InlineData("--fresh=maybe", "'maybe'")]
    [InlineData("-x", "Unrecognized command or argument '-x'")]
    [InlineData("start", "Unrecognized command or argument 'start'")]
    public void A_wrong_command_line_is_named_and_exits_2(string args, string named)
    {
        var (options, exitCode, output, error) = Read(args.Split(' '));

        Assert.Null(options);
        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.EndsWith("Run with --help to see the options." + Environment.NewLine, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Help_is_written_and_nothing_runs(string flag)
    {
        var (options, exitCode, output, _) = Read([flag]);

        Assert.Null(options);
        Assert.Equal(0, exitCode);
        Assert.Contains("--fresh", output, StringComparison.Ordinal);
        Assert.Contains("DIR/endpoints.json", output, StringComparison.Ordinal);
        Assert.DoesNotContain("--version", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_is_named_in_one_line_with_what_to_do()
    {
        // A file where a parent folder should be: not writable, even for root.
        var file = Path.GetTempFileName();
        try
        {
            var folder = Path.Combine(file, "data");
            var (exitCode, output) = await AppHostProcess.RunToEndAsync("--data", folder);

            Assert.Equal(1, exitCode);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Assert.StartsWith($"The data folder '{folder}' is not writable", line, StringComparison.Ordinal);
            Assert.Contains("--data DIR", line, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static (AppHostOptions? Options, int ExitCode, string Output, string Error) Read(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var options = AppHostOptions.Read(args, output, error, out var exitCode);
        return (options, exitCode, output.ToString(), error.ToString());
    }
}
