using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace Gateway.Tests.Fixtures;

/// <summary>A WireMock.Net backend that answers 200 to anything and records exactly what it received.</summary>
public sealed class RecordingBackend : IDisposable
{
    private readonly WireMockServer _server;
    private readonly ConcurrentQueue<string> _rawTargets = new();

    public RecordingBackend()
    {
        // WireMock records a decoded URL; the request line as written is kept here for tests about escaping.
        _server = WireMockServer.Start(new WireMockServerSettings
        {
            PreWireMockMiddlewareInit = app => ((IApplicationBuilder)app).Use((context, next) =>
            {
                _rawTargets.Enqueue(context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "");
                return next(context);
            }),
        });
        _server.Given(Request.Create().UsingAnyMethod()).AtPriority(100)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/plain").WithBody("backend ok"));
    }

    public string Url => _server.Url!;

    public WireMockServer Server => _server;

    /// <summary>Requests received so far, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Received =>
        _server.LogEntries.OrderBy(e => e.RequestMessage.DateTime)
            .Select(e => new ReceivedRequest(e.RequestMessage.Method, e.RequestMessage.Path + (e.RequestMessage.RawQuery is { Length: > 0 } q ? (q.StartsWith('?') ? q : "?" + q) : ""),
                (e.RequestMessage.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
                    .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList()))
            .ToList();

    public ReceivedRequest Last => Received[^1];

    /// <summary>Request targets exactly as the backend read them from the request line (path and query, still escaped), oldest first.</summary>
    public IReadOnlyList<string> RawTargets => _rawTargets.ToArray();

    public void Dispose() => _server.Stop();
}

/// <summary>One request as the backend saw it: every header line, in any spelling.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Values of headers named exactly <paramref name="name"/> (case-insensitive).</summary>
    public string[] Values(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value.Split(", ")).ToArray();

    /// <summary>Header names that a lenient backend would fold into <paramref name="name"/> ('_' and '.' as '-').</summary>
    public string[] Variants(string name) =>
        Headers.Select(h => h.Key).Where(k => Fold(k) == Fold(name)).Distinct().ToArray();

    private static string Fold(string name) => name.Replace('_', '-').Replace('.', '-').ToLowerInvariant();
}
