using Gateway.Security;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy;

/// <summary>
/// Forwards an escaped path as the client wrote it. YARP rebuilds the outgoing path from the decoded
/// <c>Request.Path</c>, in which Kestrel leaves <c>%2F</c> as the three characters <c>%2F</c>, so a route that
/// accepts encoded slashes would send <c>%252F</c> and change the path's meaning. <see cref="PathSafetyMiddleware"/>
/// has already refused every ambiguous form, so the raw path is the accepted one. Paths without escapes are left
/// to YARP (the same bytes, at no cost). When a route's transforms changed the path, YARP's encoding stays, with
/// the encoded slash put back: <c>%252F</c> there can only come from <c>%2F</c>, since a double-encoded slash is
/// refused.
/// </summary>
internal sealed class RawPathTransformProvider : ITransformProvider
{
    // Uri would otherwise unescape %41 to A and %2E to '.': the bytes go out as written.
    private static readonly UriCreationOptions AsWritten = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(Transform);

    private static ValueTask Transform(RequestTransformContext transform)
    {
        var request = transform.HttpContext.Request;
        var raw = PathSafety.RawPath(transform.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget);
        if (raw.IndexOf('%') < 0)
        {
            return ValueTask.CompletedTask;
        }
        var query = transform.Query.QueryString;
        var prefix = transform.DestinationPrefix.AsSpan();
        if (transform.Path == request.Path && request.PathBase.Value is null or "")
        {
            prefix = prefix.EndsWith('/') ? prefix[..^1] : prefix;
            transform.ProxyRequest.RequestUri = new Uri(string.Concat(prefix, raw, query.ToUriComponent()), AsWritten);
            return ValueTask.CompletedTask;
        }
        var address = RequestUtilities.MakeDestinationAddress(transform.DestinationPrefix, transform.Path, query).OriginalString;
        var start = address.IndexOf('/', address.IndexOf("://", StringComparison.Ordinal) + 3);
        var end = address.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? q : address.Length;
        if (start >= 0 && start < end)
        {
            var path = address[start..end].Replace("%252F", "%2F", StringComparison.Ordinal).Replace("%252f", "%2f", StringComparison.Ordinal);
            transform.ProxyRequest.RequestUri = new Uri(address[..start] + path + address[end..], AsWritten);
        }
        return ValueTask.CompletedTask;
    }
}
