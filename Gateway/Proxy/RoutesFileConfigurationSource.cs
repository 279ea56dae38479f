using Microsoft.Extensions.Configuration.Json;

namespace Gateway.Proxy;

/// <summary>routes.json as a configuration source whose provider keeps the last good routes (see <see cref="RoutesFileConfigurationProvider"/>).</summary>
internal sealed class RoutesFileConfigurationSource : JsonConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new RoutesFileConfigurationProvider(this);
    }
}
