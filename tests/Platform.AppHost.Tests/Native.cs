using System.Runtime.InteropServices;

namespace Platform.AppHost.Tests;

internal static class Native
{
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
