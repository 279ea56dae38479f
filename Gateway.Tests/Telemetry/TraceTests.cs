using System.Diagnostics;
using System.Net;
using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Telemetry;

/// <summary>One trace from the client to the backend: server span, session resolution, store call, YARP, HttpClient.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceTests(RedisServer redis) : TelemetryTestBase(redis)
{
    [Fact]
    public async Task Proxy_CookieSession_OneTraceFromServerSpanToBackend()
    {
        var sid = await LoginAsync("alice");

        var response = await GetAsync("/app/page", WithCookie(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceparent = Assert.Single(Backend.Last.Values("traceparent"));
        var parts = traceparent.Split('-');
        Assert.Equal(4, parts.Length);
        var spans = await TraceAsync(ActivityTraceId.CreateFromString(parts[1]), servers: 2);

        var resolve = Assert.Single(spans, s => s.Source.Name == "Gateway" && s.OperationName == "gateway.session.resolve");
        var server = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server && s.SpanId == resolve.ParentSpanId);
        var store = Assert.Single(spans, s => s.Source.Name == "Gateway" && s.DisplayName == "store get");
        var forward = Assert.Single(spans, s => s.Source.Name == "Yarp.ReverseProxy");
        var client = Assert.Single(spans, s => s.Source.Name == "System.Net.Http" && s.Kind == ActivityKind.Client && s.ParentSpanId == forward.SpanId);

        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == client.SpanId); // the backend's own span
        Assert.Equal(resolve.SpanId, store.ParentSpanId);
        Assert.Equal(server.SpanId, forward.ParentSpanId);
        Assert.Equal(client.SpanId.ToHexString(), parts[2]);
        Assert.Equal("success", resolve.GetTagItem("gateway.session.outcome"));
        Assert.Equal("cookie", resolve.GetTagItem("gateway.session.carrier"));
        Assert.Equal("ok", store.GetTagItem("gateway.store.outcome"));
        Assert.Equal(ActivityKind.Client, store.Kind);
    }

    [Fact]
    public async Task Proxy_ClientSendsTraceparent_GatewayJoinsCallersTrace()
    {
        var callerTrace = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();

        // HttpClient would replace a traceparent header with its own span; send the request raw instead.
        var answer = await RawAsync($"GET /public/x HTTP/1.1\r\nHost: gw\r\ntraceparent: 00-{callerTrace}-{callerSpan}-01\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", answer);
        var parts = Backend.Last.Values("traceparent").Single().Split('-');
        Assert.Equal(callerTrace.ToHexString(), parts[1]);
        Assert.NotEqual(callerSpan.ToHexString(), parts[2]);
        var spans = await TraceAsync(callerTrace, servers: 2);
        Assert.Contains(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == callerSpan);
    }

    [Fact]
    public async Task Proxy_RedisDown_StoreSpanAndResolutionMarkedAsErrors()
    {
        var sid = await LoginAsync("alice");
        await Redis!.StopAsync();
        try
        {
            var response = await GetAsync("/app/page", WithCookie(sid));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var server = await WaitForSpanAsync(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("http.response.status_code"), 503));
            var spans = await TraceAsync(server.TraceId, servers: 1);
            var store = Assert.Single(spans, s => s.DisplayName == "store get");
            Assert.Equal(ActivityStatusCode.Error, store.Status);
            Assert.Contains(store.GetTagItem("error.type"), new object[] { "timeout", "unavailable" });
            Assert.Equal("store_unavailable", spans.Single(s => s.OperationName == "gateway.session.resolve").GetTagItem("gateway.session.outcome"));
        }
        finally
        {
            await Redis.StartAsync();
        }
    }
}
