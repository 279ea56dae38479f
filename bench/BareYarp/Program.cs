// Bare YARP: one catch-all route to the benchmark backend (BENCH_BACKEND), no authentication, no transforms
// beyond YARP's defaults. Listens on ASPNETCORE_URLS. With BENCH_NO_PROPAGATION=1 its forwarder client has no
// trace propagator (no span, no traceparent per forwarded request), as the gateway's has when tracing is off.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var backend = Environment.GetEnvironmentVariable("BENCH_BACKEND") ?? throw new InvalidOperationException("BENCH_BACKEND is not set");
var proxy = builder.Services.AddReverseProxy().LoadFromMemory(
    [new Yarp.ReverseProxy.Configuration.RouteConfig { RouteId = "all", ClusterId = "backend", Match = new() { Path = "{**catch-all}" } }],
    [new Yarp.ReverseProxy.Configuration.ClusterConfig
    {
        ClusterId = "backend",
        Destinations = new Dictionary<string, Yarp.ReverseProxy.Configuration.DestinationConfig> { ["b"] = new() { Address = backend } },
    }]);
if (Environment.GetEnvironmentVariable("BENCH_NO_PROPAGATION") == "1")
{
    proxy.ConfigureHttpClient((_, handler) => handler.ActivityHeadersPropagator = null);
}
var app = builder.Build();
app.MapReverseProxy();
app.Run();
