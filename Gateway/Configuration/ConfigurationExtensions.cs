using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Configuration;

/// <summary>Registration of the <c>Gateway</c> section: binding, the validators of this folder, and the last-good monitor.</summary>
internal static class ConfigurationExtensions
{
    /// <summary>
    /// Binds <see cref="GatewayOptions"/> (validated at start, reloaded on change, the last good value kept when an
    /// edit does not validate) and the system clock. Feature folders add their own validators beside these.
    /// </summary>
    public static WebApplicationBuilder AddGatewayConfiguration(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(GatewayOptions.Section);
        services.AddOptions<GatewayOptions>().Configure(options => GatewayOptionsBinder.Bind(section, options)).ValidateOnStart();
        services.AddSingleton<IOptionsChangeTokenSource<GatewayOptions>>(new ConfigurationChangeTokenSource<GatewayOptions>(section));
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, MetricsOptionsValidator>();
        services.AddSingleton<IOptionsMonitor<GatewayOptions>, LastGoodOptionsMonitor>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, StoreTlsValidator>();
        services.AddSingleton<IValidateOptions<GatewayOptions>, KestrelTlsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
