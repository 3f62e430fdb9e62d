namespace Platform.AppHost.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_lists_every_option()
    {
        var (exitCode, output) = await AppHostProcess.RunToEndAsync("--help");

        Assert.Equal(0, exitCode);
        foreach (var option in new[] { "--data DIR", "--fresh", "--no-build", "--demo", "--help" })
            Assert.Contains(option, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_option_is_named_and_nothing_starts()
    {
        var (exitCode, output) = await AppHostProcess.RunToEndAsync("--no-biuld");

        Assert.Equal(2, exitCode);
        Assert.Contains("Unknown option '--no-biuld'", output, StringComparison.Ordinal);
        Assert.Contains("--help", output, StringComparison.Ordinal);
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
}
