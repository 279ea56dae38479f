using System.Diagnostics;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A primary with one replica (<c>--replicaof</c>), no sentinels: the gateway connects to the primary, whose
/// <c>ROLE</c> lists the replica. Tests freeze the replica (SIGSTOP) so that it acknowledges nothing.
/// </summary>
public sealed class RedisReplicated : IAsyncLifetime, IRedisFixture
{
    public RedisServer Primary { get; } = new();

    public RedisServer? Replica { get; private set; }

    public string ConnectionString => Primary.ConnectionString;

    public IDatabase Database => Primary.Database;

    public List<string> Keys(string prefix) => Primary.Keys(prefix);

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // a failed start must not leak processes
            throw;
        }
    }

    private async Task StartAsync()
    {
        await Primary.InitializeAsync();
        Replica = new RedisServer { ExtraArguments = ["--replicaof", "127.0.0.1", Primary.Port.ToString()] };
        await Replica.InitializeAsync();
        var linked = await Eventually.WithinAsync(
            async () => await Primary.Server.RoleAsync() is Role.Master { Replicas.Count: > 0 } master && master.Replicas.All(r => r.ReplicationOffset > 0),
            TimeSpan.FromSeconds(30));
        if (!linked)
        {
            throw new InvalidOperationException("the replica did not link within 30 s");
        }
    }

    /// <summary>Freezes (SIGSTOP) or thaws (SIGCONT) the replica.</summary>
    public void FreezeReplica(bool frozen) =>
        Process.Start("kill", [frozen ? "-STOP" : "-CONT", Replica!.ProcessId!.Value.ToString()])!.WaitForExit();

    /// <summary>How many times the primary has answered a command (from INFO commandstats), e.g. "role".</summary>
    public async Task<long> CallsAsync(string command)
    {
        var stats = await Primary.Server.InfoAsync("commandstats");
        var line = stats.SelectMany(g => g).FirstOrDefault(p => p.Key == "cmdstat_" + command).Value;
        return line is null ? 0 : long.Parse(line.Split(',')[0]["calls=".Length..]);
    }

    public async Task DisposeAsync()
    {
        if (Replica?.ProcessId is not null)
        {
            FreezeReplica(false);
        }
        if (Replica is not null)
        {
            await Replica.DisposeAsync();
        }
        await Primary.DisposeAsync();
    }
}
