namespace Gateway.Demo;

/// <summary>Registration of the first-run demo backend.</summary>
internal static class DemoExtensions
{
    /// <summary>The demo upstream, which starts only when <c>Gateway:Demo:Upstream</c> is set.</summary>
    public static WebApplicationBuilder AddGatewayDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DemoUpstream>();
        return builder;
    }
}
