using System.Diagnostics;
using Npgsql;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL server owned by the test run: <c>initdb</c> and <c>pg_ctl</c> from Debian's <c>postgresql</c>
/// package, run as the <c>postgres</c> user (the tests run as root, which PostgreSQL refuses), in a temp directory
/// owned by it, on a free loopback port (its socket in that directory), fsync off for speed; ended by pid. Each test
/// isolates its rows in a schema of its own (<see cref="ConnectionStringFor"/>) instead of dropping tables: the
/// isolation key names the schema, and the key prefix (which names the NOTIFY channel).
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime, IStoreFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-pg-").FullName;
    private readonly PostgresServer? _primary;
    private readonly string _settings;

    public PostgresServer()
        : this(null, "")
    {
    }

    /// <summary>
    /// A server started with extra <paramref name="settings"/> (<c>-c name=value ...</c>); with <paramref name="primary"/>,
    /// a streaming standby of that running server, cloned from it by <c>pg_basebackup -R</c> (see <see cref="PostgresReplicated"/>).
    /// </summary>
    internal PostgresServer(PostgresServer? primary, string settings)
    {
        _primary = primary;
        _settings = settings;
    }

    public int Port { get; } = RedisServer.FreePort();

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>The server's connection string (database <c>postgres</c>, default schema).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres";

    /// <summary>A pooled connection source for assertions and for what tests do behind the gateway's back.</summary>
    public NpgsqlDataSource Admin { get; private set; } = null!;

    /// <summary>The postmaster's process id while it runs.</summary>
    public int? ProcessId { get; private set; }

    public static string BinDirectory { get; } = Directory.GetDirectories("/usr/lib/postgresql")
        .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
        .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
        .Select(d => Path.Combine(d, "bin")).FirstOrDefault()
        ?? throw new InvalidOperationException("PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); run-tests.sh installs it");

    public async Task InitializeAsync()
    {
        await RunAsync("chown", "postgres:postgres", _directory);
        if (_primary is null)
        {
            await AsPostgresAsync(Path.Combine(BinDirectory, "initdb"), "-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-locale", "--no-sync");
        }
        else
        {
            // initdb's pg_hba.conf trusts replication connections from loopback; a fast checkpoint starts the copy at once.
            await AsPostgresAsync(Path.Combine(BinDirectory, "pg_basebackup"), "-h", "127.0.0.1", "-p", _primary.Port.ToString(), "-U", "postgres",
                "-D", DataDirectory, "-R", "-X", "stream", "-c", "fast", "--no-sync");
        }
        await StartAsync();
        Admin = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>Starts (or restarts) the server on the same data and port, and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={_directory} -c fsync=off " +
                      "-c full_page_writes=off -c max_connections=300 " + _settings;
        await AsPostgresAsync(Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, "-l", Path.Combine(_directory, "log"), "-w", "-t", "30",
            "-o", options, "start");
        var pidFile = await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid"));
        ProcessId = int.Parse(pidFile[0]);
    }

    /// <summary>Promotes this standby to primary (<c>pg_ctl promote</c>) and waits until it accepts writes.</summary>
    public Task PromoteAsync() =>
        AsPostgresAsync(Path.Combine(BinDirectory, "pg_ctl"), "-D", DataDirectory, "-w", "-t", "30", "promote");

    /// <summary>Stops the server (fast shutdown: clients are disconnected at once) and waits for its process to end.</summary>
    public Task StopAsync() => EndAsync("-INT");

    /// <summary>Ends the server as a crash would (immediate shutdown: no checkpoint; the next start recovers from the WAL).</summary>
    public Task CrashAsync() => EndAsync("-QUIT");

    private async Task EndAsync(string signal)
    {
        if (ProcessId is not { } pid)
        {
            return;
        }
        await RunAsync("kill", signal, pid.ToString());
        await Eventually.WithinAsync(() => !Directory.Exists($"/proc/{pid}"), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(50));
        ProcessId = null;
    }

    /// <summary>A connection string whose tables live in schema <paramref name="schema"/> (created when missing).</summary>
    public async Task<string> ConnectionStringFor(string schema)
    {
        await using (var command = Admin.CreateCommand($"CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        {
            await command.ExecuteNonQueryAsync();
        }
        return ConnectionString + $";Search Path={schema}";
    }

    public async ValueTask<IReadOnlyDictionary<string, string?>> GatewaySettingsAsync(string isolationKey) => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Postgres"] = await ConnectionStringFor(SchemaOf(isolationKey)),
        ["Gateway:Store:KeyPrefix"] = isolationKey,
    };

    public async ValueTask ExpireSessionsAsync(string isolationKey)
    {
        await using var command = Admin.CreateCommand($"UPDATE \"{SchemaOf(isolationKey)}\".login_session SET idle_expires_at = now()");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The schema of an isolation key (a key prefix such as <c>t0123abcd:</c>).</summary>
    public static string SchemaOf(string isolationKey) =>
        new string(isolationKey.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    public async Task DisposeAsync()
    {
        if (Admin is not null)
        {
            await Admin.DisposeAsync();
        }
        await EndAsync("-INT");
        Directory.Delete(_directory, recursive: true);
    }

    private Task AsPostgresAsync(string program, params string[] arguments) =>
        RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]);

    internal static async Task RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
