namespace Platform.AppHost.Building;

public static class RepositoryRoot
{
    public const string SolutionFile = "Platform.sln";

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds Platform.sln; null when there is none.</summary>
    public static string? Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile))) return folder.FullName;
        }
        return null;
    }
}
