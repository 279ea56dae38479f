using System.Diagnostics;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A Redis Cluster of three primaries (no replicas) on free loopback ports, created with
/// <c>redis-cli --cluster create</c>. The gateway gets every node in its connection string; key listings scan
/// every primary, since each holds only its slots.
/// </summary>
public sealed class RedisCluster : IAsyncLifetime, IRedisFixture
{
    private readonly List<RedisServer> _nodes = [];
    private ConnectionMultiplexer? _admin;

    public string ConnectionString => string.Join(',', _nodes.Select(n => n.ConnectionString));

    public IDatabase Database => _admin!.GetDatabase();

    public async Task InitializeAsync()
    {
        try
        {
            await CreateAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task CreateAsync()
    {
        for (var i = 0; i < 3; i++)
        {
            var node = new RedisServer { ExtraArguments = ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000"] };
            _nodes.Add(node);
            await node.StartAsync();
        }
        var create = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            create.ArgumentList.Add(node.ConnectionString);
        }
        foreach (var argument in new[] { "--cluster-replicas", "0", "--cluster-yes" })
        {
            create.ArgumentList.Add(argument);
        }
        using (var process = Process.Start(create)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + await output + await process.StandardError.ReadToEndAsync());
            }
        }
        await WaitForClusterOkAsync();
        _admin = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},abortConnect=false,connectRetry=5,allowAdmin=true");
    }

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    public List<string> Keys(string prefix) =>
        _admin!.GetServers().Where(s => s.IsConnected && !s.IsReplica)
            .SelectMany(s => s.Keys(pattern: prefix + "*", pageSize: 500)).Select(k => k.ToString()).ToList();

    // Every node must agree that all slots are served before the gateway connects.
    private async Task WaitForClusterOkAsync()
    {
        var ok = await Eventually.WithinAsync(async () =>
        {
            var all = true;
            foreach (var node in _nodes)
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync($"{node.ConnectionString},abortConnect=false,allowAdmin=true");
                var info = (string?)await connection.GetServer(node.ConnectionString).ExecuteAsync("CLUSTER", "INFO");
                all &= info?.Contains("cluster_state:ok", StringComparison.Ordinal) == true;
            }
            return all;
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        if (!ok)
        {
            throw new InvalidOperationException("the cluster did not reach cluster_state:ok within 20 s");
        }
    }
}

/// <summary>One cluster for the tests that share it; each gateway host uses its own key prefix.</summary>
[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisCluster>
{
    public const string Name = "redis-cluster";
}
