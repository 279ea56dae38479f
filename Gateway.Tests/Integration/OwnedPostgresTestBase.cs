using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// For tests that stop, crash or restart their PostgreSQL server: the class owns one, starts it before the gateway and
/// ends it even when the gateway never started. The gateway's tables live in the schema <c>gw</c>.
/// </summary>
public abstract class OwnedPostgresTestBase() : GatewayTestBase(null)
{
    protected PostgresServer Postgres { get; } = new();

    protected string PostgresConnectionString { get; private set; } = "";

    /// <summary>This class's settings besides the connection string.</summary>
    protected virtual IDictionary<string, string?> StoreSettings => new Dictionary<string, string?>();

    protected sealed override IDictionary<string, string?> Settings =>
        new Dictionary<string, string?>(StoreSettings) { ["ConnectionStrings:Postgres"] = PostgresConnectionString };

    public override async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        PostgresConnectionString = await Postgres.ConnectionStringFor("gw");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            await Postgres.DisposeAsync();
        }
    }
}
