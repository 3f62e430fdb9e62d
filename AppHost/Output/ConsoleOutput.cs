namespace Platform.AppHost.Output;

/// <summary>
/// The AppHost's terminal. Every line is prefixed with the name of the resource that wrote it, colored
/// when stdout is a terminal (and NO_COLOR is not set), so interleaved output stays readable.
/// </summary>
public sealed class ConsoleOutput(int nameWidth)
{
    private static readonly string[] Palette = ["36", "35", "33", "32", "34", "96", "95", "93", "92", "94"];
    private const string Reset = "\e[0m";

    private readonly Lock _lock = new();
    private readonly bool _colored = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private int _nextColor;

    /// <summary>A color for the next resource, as an ANSI code (the palette repeats).</summary>
    public string NextColor() => Palette[Interlocked.Increment(ref _nextColor) % Palette.Length];

    public void WriteLine(string name, string color, string line, bool highlight = false)
    {
        var prefix = name.PadRight(nameWidth);
        var text = _colored
            ? $"\e[{color}m{prefix} |{Reset} {(highlight ? $"\e[1m{line}{Reset}" : line)}"
            : $"{prefix} | {line}";
        lock (_lock) Console.Out.WriteLine(text);
    }

    /// <summary>An error the user must read; on stderr so it is not lost when stdout is redirected.</summary>
    public void WriteError(string message)
    {
        lock (_lock) Console.Error.WriteLine(_colored ? $"\e[31;1m{message}{Reset}" : message);
    }

    /// <summary>Lines written as they are, without a prefix (the ready summary).</summary>
    public void WriteBlock(IEnumerable<string> lines)
    {
        lock (_lock)
        {
            foreach (var line in lines) Console.Out.WriteLine(line);
        }
    }
}
