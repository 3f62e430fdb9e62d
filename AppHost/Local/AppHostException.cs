namespace Platform.AppHost.Local;

/// <summary>A problem the user can fix; its message says what happened and what to do, and is shown as is.</summary>
public sealed class AppHostException : Exception
{
    public AppHostException(string message) : base(message)
    {
    }

    public AppHostException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
