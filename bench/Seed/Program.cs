// Usage (in the gateway's configuration directory): Seed <sessions> <users> [--Section:Key=value ...]
// Creates <sessions> sessions spread over <users> users through the configured store's own CreateAsync, as logins do,
// with a current Chrome user agent. The store is built exactly as the gateway builds it (GatewayApplication.AddGateway
// on the same appsettings.json, as the CLI's commands do), so the rows and keys measured are the real layout's.
// Prints "STORE <provider>", "SEED <sessions> <seconds>", "ACTIVE <live sessions in the store>", and for Redis the keys of one record and one user index as
// "SAMPLE <key>" and "INDEX <key>". SQLite takes its file for this process: run it while the gateway is stopped.
using System.Diagnostics;
using Gateway;
using Gateway.Configuration;
using Gateway.Sessions;
using Gateway.Stores;
using Gateway.Stores.Postgres;
using Gateway.Stores.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

const string Agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
var (count, users) = (int.Parse(args[0]), int.Parse(args[1]));
var builder = GatewayApplication.CreateBuilder(args[2..]);
builder.Logging.ClearProviders();
builder.AddGateway();
await using var app = builder.Build();
var selection = app.Services.GetRequiredService<StoreSelection>();
if (selection.Error is { } error)
{
    Console.Error.WriteLine(error);
    return 2;
}
var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
// The store itself, not the near cache in front of it: the seed fills the store, not this process's memory.
ISessionStore store = selection.Provider switch
{
    StoreProvider.Redis => app.Services.GetRequiredService<RedisSessionStore>(),
    StoreProvider.Postgres => app.Services.GetRequiredService<PostgresSessionStore>(),
    StoreProvider.Sqlite => app.Services.GetRequiredService<SqliteSessionStore>(),
    _ => throw new InvalidOperationException($"Nothing to seed in the {selection.Provider} store: it lives inside the gateway."),
};
if (selection.Provider == StoreProvider.Postgres)
{
    // The gateway's own start-up step (migrate, or check the version) before the store takes calls.
    await app.Services.GetServices<IHostedService>().OfType<PostgresSchemaService>().Single().StartAsync(CancellationToken.None);
}
var settings = options.Session;
var now = DateTimeOffset.UtcNow;
var watch = Stopwatch.StartNew();
SessionKey sample = default;
// SQLite writes one at a time (one writer connection); more parallel callers only queue at its gate.
var parallelism = selection.Provider == StoreProvider.Sqlite ? 4 : 64;
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, token) =>
{
    var key = SessionId.New().Key;
    var record = new SessionRecord($"user{i % users:D5}", ["user"], now, now, now + settings.AbsoluteTimeout, "203.0.113.7", Agent,
        "AbCdEfGhIjKl", "form", now);
    await store.CreateAsync(key, record, SessionService.TimeToLive(record.AbsoluteExpiry, now, settings), SessionCap.None, token);
    if (i == 42)
    {
        sample = key;
    }
});
Console.WriteLine($"STORE {selection.Provider}");
Console.WriteLine($"SEED {count} {watch.Elapsed.TotalSeconds:F1}");
Console.WriteLine($"ACTIVE {await ((IActiveSessionCounter)store).CountActiveAsync(DateTimeOffset.UtcNow, CancellationToken.None)}");
if (store is RedisSessionStore redis)
{
    Console.WriteLine($"SAMPLE {redis.SessionKeyOf(sample)}");
    Console.WriteLine($"INDEX {redis.UserKeyOf("user00042")}");
}
return 0;
