using Gateway.Audit;
using Gateway.Configuration;
using Gateway.Security;
using Gateway.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Stores;

/// <summary>
/// The one place the store is chosen and registered: every store interface (sessions, remember-me, credential links,
/// secrets, health, active count, throttle, audit) for the provider <see cref="StoreSelection"/> picks, behind the
/// near cache where the store is shared.
/// </summary>
internal static class StoreExtensions
{
    // Each provider is one registration method in its own file.
    private static readonly Dictionary<StoreProvider, Action<IServiceCollection, string>> Providers = new()
    {
        [StoreProvider.Redis] = RedisStores.Add,
        [StoreProvider.Postgres] = Postgres.PostgresStores.Add,
        [StoreProvider.Sqlite] = Sqlite.SqliteStores.Add,
        [StoreProvider.Memory] = (services, _) => MemoryStores.Add(services),
    };

    /// <summary>Chooses the store from configuration and registers it; a configuration error is reported at start.</summary>
    public static WebApplicationBuilder AddGatewayStore(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var selection = StoreSelection.Choose(RequestedProvider(configuration), key => configuration[key], Providers.Keys.ToHashSet());
        services.AddSingleton(selection);
        services.AddSingleton<IValidateOptions<GatewayOptions>, StoreSelectionValidator>();
        if (selection.Error is { } error)
        {
            // Nothing to register: the validator stops the start with this error among the others. Until then
            // (building the container) each store resolves to that same error rather than to a missing service.
            foreach (var type in (Type[])[typeof(ISessionStore), typeof(IRememberMeStore), typeof(ICredentialLinkStore), typeof(ISecretStore),
                typeof(IStoreHealth), typeof(IActiveSessionCounter), typeof(IThrottleStore), typeof(IAuditStore)])
            {
                services.AddSingleton(type, _ => throw new InvalidOperationException(error));
            }
            return builder;
        }
        Providers[selection.Provider](services, selection.ConnectionString);
        // Runs after a shared store's own default (AddNearCache): whatever no shared store filled has no near cache.
        services.PostConfigure<GatewayOptions>(options => options.Store.ApplyStoreDefaults(sharedStore: false));
        return builder;
    }

    /// <summary>The parts of a store that are never cached in process: remember-me, secrets, health, active count.</summary>
    internal static void AddStores<TStore>(IServiceCollection services)
        where TStore : class, IRememberMeStore, ISecretStore, IStoreHealth, IActiveSessionCounter
    {
        services.AddSingleton<IRememberMeStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<ISecretStore>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IStoreHealth>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IActiveSessionCounter>(sp => sp.GetRequiredService<TStore>());
    }

    /// <summary>
    /// Sessions, credential links and the throttle of a store outside the process's memory (each type registered by the
    /// provider, with an <see cref="IInvalidationChannel"/>), behind the near cache: on by default (1 s), whatever the
    /// store's technology; <c>Gateway:Store:NearCache=00:00:00</c> turns it off.
    /// </summary>
    internal static void AddNearCache<TSessions, TLinks, TThrottle>(IServiceCollection services)
        where TSessions : class, ISessionStore
        where TLinks : class, ICredentialLinkStore
        where TThrottle : class, IThrottleStore
    {
        services.PostConfigure<GatewayOptions>(options => options.Store.ApplyStoreDefaults(sharedStore: true));
        services.AddSingleton<ISessionStore>(sp => NearCacheOn(sp) is { } options
            ? new NearCacheSessionStore(sp.GetRequiredService<TSessions>(), sp.GetRequiredService<IInvalidationChannel>(), options, sp.GetRequiredService<TimeProvider>())
            : sp.GetRequiredService<TSessions>());
        // Links are kept only beside the sessions they point at.
        services.AddSingleton<ICredentialLinkStore>(sp => sp.GetRequiredService<ISessionStore>() is NearCacheSessionStore sessions
            ? new NearCacheCredentialLinkStore(sp.GetRequiredService<TLinks>(), sessions, NearCacheOn(sp)!, sp.GetRequiredService<TimeProvider>())
            : sp.GetRequiredService<TLinks>());
        services.AddSingleton<IThrottleStore>(sp => NearCacheOn(sp) is { } options
            ? new NearCacheThrottleStore(sp.GetRequiredService<TThrottle>(), sp.GetRequiredService<IInvalidationChannel>(), options, sp.GetRequiredService<TimeProvider>())
            : sp.GetRequiredService<TThrottle>());
    }

    private static StoreOptions? NearCacheOn(IServiceProvider services) =>
        services.GetRequiredService<IOptions<GatewayOptions>>().Value.Store is { NearCacheLifetime.Ticks: > 0 } options ? options : null;

    // The binder's own conversion; a value it cannot convert is reported by the options validation with the others.
    private static StoreProvider RequestedProvider(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(GatewayOptions.Section + ":Store:Provider").Get<StoreProvider?>() ?? StoreProvider.Auto;
        }
        catch (InvalidOperationException)
        {
            return StoreProvider.Auto;
        }
    }
}
