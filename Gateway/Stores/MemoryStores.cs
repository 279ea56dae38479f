using Gateway.Audit;
using Gateway.Security;
using Gateway.Sessions;

namespace Gateway.Stores;

/// <summary>The in-memory store (<c>Gateway:Store:Provider=Memory</c>): this process only, so no near cache in front.</summary>
internal static class MemoryStores
{
    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<InMemorySessionStore>();
        StoreExtensions.AddStores<InMemorySessionStore>(services);
        services.AddSingleton<ISessionStore>(sp => sp.GetRequiredService<InMemorySessionStore>());
        services.AddSingleton<ICredentialLinkStore>(sp => sp.GetRequiredService<InMemorySessionStore>());
        services.AddSingleton<IThrottleStore, InMemoryThrottleStore>();
        services.AddSingleton<IAuditStore, InMemoryAuditStore>();
    }
}
