using Gateway.Sessions;

namespace Gateway.Stores.Postgres;

/// <summary>
/// Near-cache invalidations over PostgreSQL <c>LISTEN/NOTIFY</c> on one channel (<c>&lt;KeyPrefix&gt;inv</c>): the payload
/// is the topic's letter and the message (<c>s:&lt;session key&gt;</c>, <c>b:&lt;subject id&gt;</c>). Publishing is a
/// <c>pg_notify</c> on a pooled connection, bounded like every store call; hearing is <see cref="PostgresListener"/>'s one
/// dedicated connection. A notification is delivered to every listening session of the database, this gateway's
/// included, once its transaction commits.
/// </summary>
internal sealed partial class PostgresInvalidationChannel(PostgresListener listener, PostgresDatabase db, ILogger<PostgresInvalidationChannel> logger)
    : IInvalidationChannel
{
    public IInvalidationSubscription Subscribe(InvalidationTopic topic, Action<string> received, Action lost)
    {
        var prefix = PrefixOf(topic);
        var registration = listener.Register(payload =>
        {
            if (payload.StartsWith(prefix, StringComparison.Ordinal))
            {
                received(payload[prefix.Length..]);
            }
        }, lost);
        return new Subscription(listener, registration);
    }

    public async Task PublishAsync(InvalidationTopic topic, string message, CancellationToken cancellationToken)
    {
        try
        {
            await db.RunAsync(async (connection, token) =>
            {
                await using var command = db.Command(connection, PostgresQueries.Notify, listener.Channel, PrefixOf(topic) + message);
                return await command.ExecuteScalarAsync(token);
            }, cancellationToken);
        }
        catch (SessionStoreUnavailableException e)
        {
            // The change itself is done; other gateways see it within the cache bound.
            LogPublishFailed(logger, listener.Channel, e.TimedOut ? "timeout" : "unavailable");
        }
    }

    private static string PrefixOf(InvalidationTopic topic) => topic == InvalidationTopic.Bans ? "b:" : "s:";

    private sealed class Subscription(PostgresListener listener, IDisposable registration) : IInvalidationSubscription
    {
        public bool Listening => listener.Listening;

        public void Dispose() => registration.Dispose();
    }

    [LoggerMessage(EventId = 2309, EventName = "PostgresNotifyFailed", Level = LogLevel.Warning,
        Message = "Near cache: could not NOTIFY an invalidation on {Channel} ({Cause}); other gateways see the change within the cache bound.")]
    private static partial void LogPublishFailed(ILogger logger, string channel, string cause);
}
