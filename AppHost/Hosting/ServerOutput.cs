using System.Collections.Concurrent;

namespace Platform.Hosting;

/// <summary>Keeps the last lines a process wrote, so a failure can show them, and forwards each line.</summary>
public sealed class ServerOutput(Action<string, bool>? forward = null, int keep = 200)
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Write(string line, bool isError)
    {
        _lines.Enqueue(line);
        while (_lines.Count > keep && _lines.TryDequeue(out _))
        {
        }
        forward?.Invoke(line, isError);
    }

    public string Tail(int lines = 30) => string.Join(Environment.NewLine, _lines.TakeLast(lines));
}
