using System.Text.RegularExpressions;

namespace Platform.Deploy.Tests;

/// <summary>
/// The queues each service consumes, from its Program.cs: <c>AddServiceMessaging("name", bus => bus.AddConsumer&lt;XConsumer&gt;())</c>
/// makes the queue <c>name-x</c> (MassTransit's kebab-case endpoint names with the service as prefix, the
/// <c>Consumer</c> suffix dropped; ServiceDefaults/Messaging), plus <c>name-api-client-keys</c> in every service.
/// </summary>
public static partial class ConsumerQueues
{
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Of(string root)
    {
        var queues = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var program in Directory.EnumerateFiles(Path.Combine(root, "services"), "Program.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains("/obj/", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(program);
            var messaging = Messaging().Match(text);
            if (!messaging.Success) continue;
            var service = messaging.Groups["service"].Value;
            queues[service] = new HashSet<string>(
                Consumer().Matches(text).Select(m => m.Groups["name"].Value).Append("ApiClientKeys").Select(name => $"{service}-{Kebab(name)}"),
                StringComparer.Ordinal);
        }
        return queues;
    }

    private static string Kebab(string pascal) => Word().Replace(pascal, "-$1").ToLowerInvariant();

    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Repository { get; } = Of(Manifests.FindRoot());

    [GeneratedRegex(@"AddServiceMessaging\(""(?<service>[\w-]+)""")]
    private static partial Regex Messaging();

    [GeneratedRegex("""AddConsumer<(?<name>\w+?)Consumer>""")]
    private static partial Regex Consumer();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Word();
}
