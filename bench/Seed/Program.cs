// Usage: Seed <redis host:port> <sessions> <users> <key prefix>
// Creates <sessions> sessions spread over <users> users through RedisSessionStore.CreateAsync, as logins do, with a
// current Chrome user agent; prints "SEED <sessions> <seconds>", and the key of one session as "SAMPLE <key>".
using System.Diagnostics;
using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

const string Agent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
var (endpoint, count, users, prefix) = (args[0], int.Parse(args[1]), int.Parse(args[2]), args[3]);
using var redis = await ConnectionMultiplexer.ConnectAsync(endpoint);
var options = new GatewayOptions();
options.Store.KeyPrefix = prefix;
options.Store.Timeout = TimeSpan.FromSeconds(10);
var store = new RedisSessionStore(redis, Options.Create(options));
var settings = options.Session;
var now = DateTimeOffset.UtcNow;
var watch = Stopwatch.StartNew();
SessionKey sample = default;
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, token) =>
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
Console.WriteLine($"SEED {count} {watch.Elapsed.TotalSeconds:F1}");
Console.WriteLine($"SAMPLE {prefix}s:{sample.Value}");
