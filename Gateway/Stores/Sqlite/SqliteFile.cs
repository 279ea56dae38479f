using Microsoft.Data.Sqlite;

namespace Gateway.Stores.Sqlite;

/// <summary>
/// The database file and its ownership: the path a connection string names (relative to the configuration
/// directory), created owner-only (0600: it holds password stamps and user agents) before SQLite first writes it,
/// and <c>&lt;file&gt;.lock</c> held exclusively for the life of the process, so a second gateway on the same file
/// is refused at start instead of interleaving writes with this one.
/// </summary>
internal sealed class SqliteFile : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FileStream? _lock;

    private SqliteFile(string path, FileStream? held)
    {
        Path = path;
        _lock = held;
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The absolute database path of a Microsoft.Data.Sqlite connection string.</summary>
    public static string PathOf(string connectionString, string configDirectory)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrWhiteSpace(dataSource) || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:Sqlite must name a database file (Data Source=gateway.db), not '{dataSource}': sessions must survive a restart.");
        }
        return System.IO.Path.GetFullPath(System.IO.Path.Combine(configDirectory, dataSource));
    }

    /// <summary>Takes the file for this process, creating it (and its directory) owner-only when missing.</summary>
    /// <exception cref="InvalidOperationException">Another process holds the file.</exception>
    public static SqliteFile Acquire(string path)
    {
        var lockPath = path + ".lock";
        FileStream held;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            // FileShare.None is an exclusive flock on Unix: released by the kernel when the process ends, even by SIGKILL.
            held = new FileStream(lockPath, Options(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (File.Exists(lockPath))
        {
            throw new InvalidOperationException(
                $"The SQLite store {path} is in use by another gateway process (it holds {lockPath}). One SQLite file serves one " +
                "process: stop the other gateway, give this one its own file, or use Redis or PostgreSQL for several instances.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotOpen(path, e);
        }
        try
        {
            if (!File.Exists(path))
            {
                using var created = new FileStream(path, Options(FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite));
            }
            else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
            {
                File.SetUnixFileMode(path, OwnerOnly); // made by someone else with a wider mode: the journal files follow the database's
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            held.Dispose();
            throw CannotOpen(path, e);
        }
        return new SqliteFile(path, held);
    }

    /// <summary>
    /// The file a gateway holds, for a command run beside it (<c>sessions</c>): it must exist, and its lock is left to the
    /// gateway. SQLite's own file locks keep each of the command's short transactions whole.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such file.</exception>
    public static SqliteFile Beside(string path) => File.Exists(path)
        ? new SqliteFile(path, null)
        : throw new InvalidOperationException($"There is no SQLite store at {path}: check ConnectionStrings:Sqlite (the gateway's own value, " +
            "relative paths taken from the configuration directory).");

    private static InvalidOperationException CannotOpen(string path, Exception e) => new(
        $"The SQLite store {path} cannot be created or opened ({e.Message}). Set ConnectionStrings:Sqlite to a file in a directory the " +
        "gateway's user can write (a data volume in a container), or choose another store with Gateway:Store:Provider.", e);

    private static FileStreamOptions Options(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        return options;
    }

    public void Dispose() => _lock?.Dispose();
}
