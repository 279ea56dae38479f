using Gateway.Http;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Connections;

/// <summary>
/// Tracks a response as a stream as soon as the backend answers <c>text/event-stream</c> (server-sent events), rather
/// than after <c>Gateway:Connections:StreamAfter</c>; beyond the bound it is answered 503 instead.
/// </summary>
internal sealed class EventStreamTransformProvider(ConnectionRegistry registry) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddResponseTransform(Transform);

    private ValueTask Transform(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { } response && context.HttpContext.Features.Get<TrackedConnection>() is { Group: null, Reserved: false } connection
            && response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var types)
            && types.ToString().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase)
            && !registry.Track(connection, "stream"))
        {
            context.SuppressResponseBody = true;
            context.HttpContext.Response.Clear();
            return new ValueTask(GatewayResponses.TooManyConnectionsAsync(context.HttpContext, ConnectionRegistry.RefusedRetryAfter));
        }
        return ValueTask.CompletedTask;
    }
}
