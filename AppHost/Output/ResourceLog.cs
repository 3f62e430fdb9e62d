using System.Globalization;

namespace Platform.AppHost.Output;

/// <summary>
/// Where one resource's output goes: the terminal, prefixed with its name, and <c>DIR/logs/NAME.log</c>
/// (appended, with timestamps). The AppHost's own notes about the resource (started, crashed, restarting)
/// go to both too, marked with ».
/// </summary>
public sealed class ResourceLog : IDisposable
{
    private readonly string _name;
    private readonly string _color;
    private readonly ConsoleOutput _console;
    private readonly Lock _lock = new();
    private readonly Queue<ConsoleLine> _recent = new();
    private StreamWriter? _file;

    /// <summary>How many of the latest lines are kept in memory for the dashboard.</summary>
    public const int RecentCapacity = 500;

    public ResourceLog(string name, ConsoleOutput console, string logFolder)
    {
        ArgumentNullException.ThrowIfNull(console);
        _name = name;
        _console = console;
        _color = console.NextColor();
        FilePath = Path.Combine(logFolder, name + ".log");
        var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.Read);
        // Flushed line by line, so `tail -f` shows what happens and nothing is lost if we are killed.
        _file = new StreamWriter(stream) { AutoFlush = true };
    }

    public string FilePath { get; }

    /// <summary>A line the resource's process wrote (stdout or stderr).</summary>
    public void Write(string line, bool isError)
    {
        _console.WriteLine(_name, _color, line);
        Append(line);
        Remember(line, isError ? "stderr" : "stdout");
    }

    /// <summary>What the AppHost has to say about this resource.</summary>
    public void Note(string message)
    {
        _console.WriteLine(_name, _color, "» " + message, highlight: true);
        Append("» " + message);
        Remember("» " + message, "apphost");
    }

    /// <summary>The latest lines (at most <see cref="RecentCapacity"/>), oldest first.</summary>
    public IReadOnlyList<ConsoleLine> Recent(int count)
    {
        lock (_lock) return [.. _recent.Skip(Math.Max(0, _recent.Count - count))];
    }

    private void Remember(string line, string stream)
    {
        lock (_lock)
        {
            _recent.Enqueue(new ConsoleLine(DateTimeOffset.Now, line, stream));
            if (_recent.Count > RecentCapacity) _recent.Dequeue();
        }
    }

    /// <summary>Details only the log file needs (a stack trace).</summary>
    public void Detail(string text) => Append(text);

    private void Append(string line)
    {
        var stamped = string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:yyyy-MM-dd HH:mm:ss.fff} {line}");
        lock (_lock) _file?.WriteLine(stamped);
    }

    public void Dispose()
    {
        // Output of a killed process can still trickle in after this; it then only reaches the terminal.
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}

/// <summary>A line a resource wrote (<c>stdout</c>, <c>stderr</c>) or the AppHost noted about it (<c>apphost</c>).</summary>
public sealed record ConsoleLine(DateTimeOffset At, string Text, string Stream);
