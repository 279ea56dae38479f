using OpenTelemetry.Trace;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy;

/// <summary>
/// YARP's forwarder client, with trace headers that follow what the gateway exports. With tracing on, YARP's own
/// propagator names the HttpClient span in <c>traceparent</c>, so the backend's spans join the exported trace. With
/// tracing off (no <see cref="TracerProvider"/>), nothing is injected and the caller's trace headers pass as sent:
/// ASP.NET Core still starts an activity per request whenever logging is on, and propagating it would hand the
/// backend a parent span that no collector ever receives, or a trace the caller never started.
/// </summary>
internal sealed class TraceContextClientFactory(ILogger<ForwarderHttpClientFactory> logger, IServiceProvider services)
    : ForwarderHttpClientFactory(logger)
{
    private readonly Lazy<bool> _tracing = new(() => services.GetService<TracerProvider>() is not null);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        if (!_tracing.Value)
        {
            handler.ActivityHeadersPropagator = null;
        }
    }
}
