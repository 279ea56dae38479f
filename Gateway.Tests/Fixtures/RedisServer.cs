using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A real redis-server on a free loopback port, owned by the test run (started and ended by pid). Keeps an
/// append-only file in its own directory so a stop/start keeps sessions, as a production Redis with AOF would.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IRedisFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gw-redis-").FullName;
    private Process? _process;
    private ConnectionMultiplexer? _admin;

    public int Port { get; } = FreePort();

    public string ConnectionString => $"127.0.0.1:{Port}" + (Credentials.Length > 0 ? "," + Credentials : "");

    /// <summary>More redis-server arguments (ACL users, replicaof, ...), appended to the defaults.</summary>
    public string[] ExtraArguments { get; init; } = [];

    /// <summary>Connection-string options the server requires of clients (e.g. <c>user=...,password=...</c>).</summary>
    public string Credentials { get; init; } = "";

    /// <summary>The server process id while it runs (tests may freeze it with SIGSTOP).</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>A connection for assertions on what Redis holds.</summary>
    public IDatabase Database => _admin!.GetDatabase();

    public IServer Server => _admin!.GetServer("127.0.0.1", Port);

    public async Task InitializeAsync()
    {
        await StartAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=false,connectRetry=5,allowAdmin=true");
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
                             "--appendfsync", "always", "--dir", _directory, "--protected-mode", "yes" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in ExtraArguments)
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        if (!await Eventually.WithinAsync(AnswersPingAsync, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50)))
        {
            throw new InvalidOperationException($"redis-server did not answer on port {Port}");
        }
    }

    /// <summary>Ends the server (SIGTERM: it flushes its AOF) and waits for the port to close.</summary>
    public Task StopAsync() => EndAsync("-TERM");

    /// <summary>Kills the server without warning (SIGKILL), as a crash would; the AOF (fsync always) keeps what was acknowledged.</summary>
    public Task KillAsync() => EndAsync("-KILL");

    private async Task EndAsync(string signal)
    {
        if (_process is null)
        {
            return;
        }
        Process.Start("kill", [signal, _process.Id.ToString()])!.WaitForExit();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Keys under a prefix (SCAN, never KEYS on a shared server).</summary>
    public List<string> Keys(string prefix) => Server.Keys(pattern: prefix + "*", pageSize: 500).Select(k => k.ToString()).ToList();

    // Every client connection but the fixture's own (SKIPME): the gateways see their connections fail.
    ValueTask IStoreFixture.DropGatewayConnectionsAsync()
    {
        Server.Execute("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        Server.Execute("CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes");
        return ValueTask.CompletedTask;
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            // An ACL-protected server answers -NOAUTH: it is up.
            return read > 0 && (buffer[0] == (byte)'+' || System.Text.Encoding.ASCII.GetString(buffer, 0, read).StartsWith("-NOAUTH", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
