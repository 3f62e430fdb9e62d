using System.Text.Json;
using Platform.Hosting;

namespace Platform.AppHost.Local;

/// <summary>
/// Hands out distinct free TCP ports for one run. Servers keep the port they had last time in this data
/// folder when it is still free (bookmarks and database tools keep working); services get fresh ones.
/// </summary>
public sealed class PortAllocator
{
    private readonly string _file;
    private readonly Dictionary<string, int> _remembered;
    private readonly Dictionary<string, int> _kept = [];
    private readonly HashSet<int> _given = [];
    private readonly List<string> _moves = [];

    private PortAllocator(string file, Dictionary<string, int> remembered)
    {
        _file = file;
        _remembered = remembered;
    }

    public static async Task<PortAllocator> LoadAsync(string file, CancellationToken cancellationToken)
    {
        Dictionary<string, int>? remembered = null;
        if (File.Exists(file))
        {
            try
            {
                await using var stream = File.OpenRead(file);
                remembered = await JsonSerializer.DeserializeAsync<Dictionary<string, int>>(stream, cancellationToken: cancellationToken);
            }
            catch (JsonException)
            {
                // A damaged file only costs us the old ports.
            }
        }
        return new PortAllocator(file, remembered ?? []);
    }

    /// <summary>The port this key had last time if it is free now, otherwise a new one; remembered for next time.</summary>
    public int Keep(string key)
    {
        var hadOne = _remembered.TryGetValue(key, out var previous);
        var port = hadOne && !_given.Contains(previous) && !FreePort.IsInUse(previous) ? previous : Fresh();
        if (hadOne && port != previous)
            _moves.Add($"{key}: port {previous} (used last time) is taken by another program, so it is {port} now");
        _given.Add(port);
        _kept[key] = port;
        return port;
    }

    /// <summary>Servers that could not keep last time's port, in words (bookmarks and tool settings need updating).</summary>
    public IReadOnlyList<string> Moves => _moves;

    /// <summary>A free port not handed out before in this run.</summary>
    public int Fresh()
    {
        int port;
        do port = FreePort.Next();
        while (!_given.Add(port));
        return port;
    }

    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await using var stream = File.Create(_file);
        await JsonSerializer.SerializeAsync(stream, _kept, cancellationToken: cancellationToken);
    }
}
