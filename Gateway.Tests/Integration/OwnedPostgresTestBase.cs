using Gateway.Tests.Fixtures;

namespace Gateway.Tests.Integration;

/// <summary>
/// For tests that stop, crash or restart their PostgreSQL server: the class owns one, starts it before the gateway and
/// ends it even when the gateway never started.
/// </summary>
public abstract class OwnedPostgresTestBase() : GatewayTestBase(new PostgresServer())
{
    protected PostgresServer Postgres => (PostgresServer)Store!;

    public override async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
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
