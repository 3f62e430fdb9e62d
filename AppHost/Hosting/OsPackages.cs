namespace Platform.Hosting;

/// <summary>Finds the operating-system programs the platform runs, with a clear message when one is missing.</summary>
public static class OsPackages
{
    public const string PostgresBin = "/usr/lib/postgresql/15/bin";
    public const string RabbitMqBin = "/usr/lib/rabbitmq/bin";

    public static string Postgres(string program) => Require(Path.Combine(PostgresBin, program), "postgresql");

    public static string RabbitMq(string program) => Require(Path.Combine(RabbitMqBin, program), "rabbitmq-server");

    public static string Epmd() => Require("/usr/bin/epmd", "erlang-base");

    public static string Setpriv() => Require("/usr/bin/setpriv", "util-linux");

    public static string Setsid() => Require("/usr/bin/setsid", "util-linux");

    private static string Require(string path, string package) =>
        File.Exists(path)
            ? path
            : throw new MissingOsPackageException(package, path);
}

public sealed class MissingOsPackageException(string package, string path)
    : Exception($"'{path}' was not found: the Debian package '{package}' is missing. Install it with: sudo apt-get install -y {package}")
{
    public string Package { get; } = package;
}
