namespace Gateway.Proxy;

/// <summary>
/// The per-request YARP pipeline. Giving MapReverseProxy a pipeline drops YARP's defaults, so session affinity,
/// load balancing and passive health checks are added back explicitly, after the error body writer.
/// </summary>
internal static class ProxyPipeline
{
    public static void Configure(IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseMiddleware<ProxyErrorMiddleware>();
        proxy.UseSessionAffinity();
        proxy.UseLoadBalancing();
        proxy.UsePassiveHealthChecks();
    }
}
