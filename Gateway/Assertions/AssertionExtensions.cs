using Gateway.Configuration;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Assertions;

/// <summary>Registration of signed identity assertions and the key set endpoint.</summary>
internal static class AssertionExtensions
{
    /// <summary>The validator, the keys (the key file, else derived from the store's shared secret) and the issuer.</summary>
    public static WebApplicationBuilder AddGatewayAssertions(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<IValidateOptions<GatewayOptions>, AssertionOptionsValidator>();
        services.AddSingleton<IAssertionKeys>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Assertion;
            // While assertions are off the key file is neither validated nor read; the store's keys are derived only when asked for.
            if (options.Enabled && options.KeyFile.Length > 0)
            {
                return new FileAssertionKeys(ConfigDirectory.Resolve(sp.GetRequiredService<IHostEnvironment>(), options.KeyFile), options.KeyFile);
            }
            return new StoreAssertionKeys(sp.GetRequiredService<ISecretStore>(), options.KeyRotation, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StoreAssertionKeys>>());
        });
        services.AddSingleton<AssertionIssuer>();
        return builder;
    }

    /// <summary><c>GET /.well-known/jwks.json</c>.</summary>
    public static WebApplication MapGatewayAssertions(this WebApplication app)
    {
        JwksEndpoint.Map(app);
        return app;
    }
}
