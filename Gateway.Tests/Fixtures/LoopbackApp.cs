using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Fixtures;

/// <summary>A small web app on Kestrel for what WireMock cannot play: loopback, a free port, no logging.</summary>
public static class LoopbackApp
{
    /// <summary>A builder listening on 127.0.0.1 at a port the system picks (<paramref name="slim"/>: without the full host's defaults).</summary>
    public static WebApplicationBuilder CreateBuilder(bool slim = true)
    {
        var builder = slim ? WebApplication.CreateSlimBuilder() : WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        return builder;
    }

    /// <summary>Starts <paramref name="app"/> and returns the address it listens on.</summary>
    public static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }
}
