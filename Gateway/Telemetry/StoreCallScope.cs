using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Gateway.Telemetry;

/// <summary>
/// One session store call: a client span (<c>store &lt;operation&gt;</c>, <c>db.system.name</c> naming the store) and the
/// <c>gateway.store.*</c> metrics. <see cref="Observe"/> is meant for an exception filter, so the store's own error
/// mapping stays untouched.
/// </summary>
internal sealed class StoreCallScope : IDisposable
{
    /// <summary>OpenTelemetry's <c>db.system.name</c> values for the stores that make calls (the in-memory store makes none).</summary>
    public const string Redis = "redis", PostgreSql = "postgresql", Sqlite = "sqlite";

    private static readonly ConcurrentDictionary<string, string> Operations = new(StringComparer.Ordinal);

    private readonly string _operation;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private string _outcome = "ok";

    /// <param name="member">The store method called (its operation name).</param>
    /// <param name="system">The store, as <c>db.system.name</c>: <see cref="Redis"/>, <see cref="PostgreSql"/> or <see cref="Sqlite"/>.</param>
    public StoreCallScope(string member, string system)
    {
        _operation = Operations.GetOrAdd(member, OperationName);
        _activity = GatewayTelemetry.Source.StartActivity("store " + _operation, ActivityKind.Client);
        _activity?.SetTag("db.system.name", system);
        _activity?.SetTag("gateway.store.operation", _operation);
    }

    /// <summary>Classifies the failure; always false, so an exception filter using it never catches.</summary>
    public bool Observe(Exception exception)
    {
        _outcome = exception switch
        {
            TimeoutException or IStoreTimeout { TimedOut: true } => "timeout",
            OperationCanceledException => "cancelled",
            _ => "unavailable",
        };
        return false;
    }

    public void Dispose()
    {
        GatewayTelemetry.StoreCall(_operation, _outcome, Stopwatch.GetElapsedTime(_started).TotalSeconds);
        if (_activity is null)
        {
            return;
        }
        _activity.SetTag("gateway.store.outcome", _outcome);
        if (_outcome != "ok")
        {
            _activity.SetTag("error.type", _outcome);
            _activity.SetStatus(ActivityStatusCode.Error);
        }
        _activity.Dispose();
    }

    // "GetCredentialLinkAsync" → "get_credential_link": the store's method names are the operation names.
    private static string OperationName(string member)
    {
        var name = member.EndsWith("Async", StringComparison.Ordinal) ? member[..^5] : member;
        var builder = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
