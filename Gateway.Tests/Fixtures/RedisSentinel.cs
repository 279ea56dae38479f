using System.Diagnostics;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// Redis Sentinel on free loopback ports: one primary, one replica, three sentinels (<c>redis-server --sentinel</c>
/// with generated configs; quorum 2, a primary is down after 1 s). The gateway connects through the sentinels
/// (<c>serviceName=</c>); tests freeze the replica, kill the primary and force a failover.
/// </summary>
public sealed class RedisSentinel : IAsyncLifetime, IRedisFixture
{
    public const string Service = "gwprimary";

    private readonly string _directory = Directory.CreateTempSubdirectory("gw-sentinel-").FullName;
    private readonly List<Process> _sentinels = [];
    private readonly List<int> _sentinelPorts = [RedisServer.FreePort(), RedisServer.FreePort(), RedisServer.FreePort()];
    private ConnectionMultiplexer? _admin;

    public RedisServer Primary { get; } = new();

    public RedisServer? Replica { get; private set; }

    public string ConnectionString => string.Join(',', _sentinelPorts.Select(p => $"127.0.0.1:{p}")) + $",serviceName={Service}";

    /// <summary>The current primary, as the sentinels name it (follows failovers).</summary>
    public IDatabase Database => _admin!.GetDatabase();

    public async Task InitializeAsync()
    {
        try
        {
            await StartAllAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync()
    {
        await Primary.InitializeAsync();
        Replica = new RedisServer { ExtraArguments = ["--replicaof", "127.0.0.1", Primary.Port.ToString()] };
        await Replica.InitializeAsync();
        foreach (var port in _sentinelPorts)
        {
            var config = Path.Combine(_directory, $"sentinel-{port}.conf");
            await File.WriteAllTextAsync(config, $"""
                port {port}
                bind 127.0.0.1
                dir {_directory}
                sentinel monitor {Service} 127.0.0.1 {Primary.Port} 2
                sentinel down-after-milliseconds {Service} 1000
                sentinel failover-timeout {Service} 5000
                sentinel parallel-syncs {Service} 1
                """);
            var info = new ProcessStartInfo("redis-server") { ArgumentList = { config, "--sentinel" }, RedirectStandardOutput = true };
            var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server --sentinel did not start");
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            _sentinels.Add(process);
        }
        await UntilAsync(async () => await ReplicaLinkedAsync() &&
            (await SentinelAsync(_sentinelPorts[0], "SENTINEL", "SENTINELS", Service)).Split('\n').Count(l => l.Trim() == "name") == 2, "sentinels see the replica and each other");
        _admin = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=false,connectRetry=5,allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        foreach (var sentinel in _sentinels)
        {
            Process.Start("kill", ["-TERM", sentinel.Id.ToString()])!.WaitForExit();
            await sentinel.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            sentinel.Dispose();
        }
        if (Replica?.ProcessId is { } frozen)
        {
            Process.Start("kill", ["-CONT", frozen.ToString()])!.WaitForExit();
        }
        if (Replica is not null)
        {
            await Replica.DisposeAsync();
        }
        await Primary.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    public List<string> Keys(string prefix) =>
        _admin!.GetServers().Where(s => s.IsConnected && !s.IsReplica)
            .SelectMany(s => s.Keys(pattern: prefix + "*", pageSize: 500)).Select(k => k.ToString()).ToList();

    private async Task<bool> ReplicaLinkedAsync()
    {
        var lines = (await SentinelAsync(_sentinelPorts[0], "SENTINEL", "REPLICAS", Service)).Split('\n').Select(l => l.Trim()).ToList();
        var link = lines.IndexOf("master-link-status");
        return link >= 0 && link + 1 < lines.Count && lines[link + 1] == "ok";
    }

    /// <summary>The port the sentinels currently name as primary.</summary>
    public async Task<int> PrimaryPortAsync() =>
        int.Parse((await SentinelAsync(_sentinelPorts[0], "SENTINEL", "GET-MASTER-ADDR-BY-NAME", Service)).Split('\n', StringSplitOptions.RemoveEmptyEntries)[1]);

    /// <summary>Forces a failover now (the sentinels promote the replica), then waits until they name it primary.</summary>
    public async Task FailoverAsync()
    {
        var output = await SentinelAsync(_sentinelPorts[0], "SENTINEL", "FAILOVER", Service);
        if (!output.StartsWith("OK", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("SENTINEL FAILOVER: " + output);
        }
        await PromotedAsync();
    }

    /// <summary>Waits (bounded) until the sentinels name the replica primary, as they do on their own after a crash.</summary>
    public Task PromotedAsync() => UntilAsync(async () => await PrimaryPortAsync() == Replica!.Port, "the replica is named primary");

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the replica: frozen, it acknowledges no replication.</summary>
    public void FreezeReplica(bool frozen) =>
        Process.Start("kill", [frozen ? "-STOP" : "-CONT", Replica!.ProcessId!.Value.ToString()])!.WaitForExit();

    private static async Task<string> SentinelAsync(int port, params string[] command)
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString() }.Concat(command))
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return output;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        if (!await Eventually.WithinAsync(condition, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200)))
        {
            throw new InvalidOperationException($"not within 30 s: {what}");
        }
    }
}
