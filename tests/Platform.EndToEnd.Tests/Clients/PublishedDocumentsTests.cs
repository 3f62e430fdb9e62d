using Aspire.Hosting.Testing;
using System.Text.Json.Nodes;

namespace Platform.EndToEnd.Tests.Clients;

/// <summary>docs/openapi/*.json are the contracts partners generate clients from: they must be what runs.</summary>
public sealed class PublishedDocumentsTests(RunningAppHost platform)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_published_OpenAPI_documents_are_what_the_services_serve()
    {
        var update = Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1";
        List<string> differences = [];
        foreach (var service in PublishedDocuments.Services)
        {
            using var http = platform.App.CreateHttpClient(service);
            var served = PublishedDocuments.Normalize(await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel));
            var file = PublishedDocuments.PathOf(service);
            var committed = File.Exists(file) ? await File.ReadAllTextAsync(file, Cancel) : null;
            var difference = committed is null
                ? "the file does not exist"
                : PublishedDocuments.FirstDifference(JsonNode.Parse(committed), JsonNode.Parse(served));
            if (difference is null) continue;
            if (update)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllTextAsync(file, served, Cancel);
                TestContext.Current.TestOutputHelper?.WriteLine($"UPDATE_OPENAPI=1: rewrote {Path.GetRelativePath(PublishedDocuments.RepositoryRoot, file)} ({difference}).");
            }
            else differences.Add($"docs/openapi/{service}.json differs from {service}'s /openapi/v1.json at {difference}");
        }
        Assert.True(differences.Count == 0,
            string.Join("\n", differences) + $"\nIf the change is intended, refresh the documents (then rebuild: the clients are generated from them):\n  {PublishedDocuments.RefreshCommand}");
    }
}
