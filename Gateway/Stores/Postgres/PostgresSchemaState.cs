namespace Gateway.Stores.Postgres;

/// <summary>Whether this process may use the schema: set once the migrations are applied (or checked) at start.</summary>
internal sealed class PostgresSchemaState
{
    private volatile bool _ready;

    public bool Ready => _ready;

    public void MarkReady() => _ready = true;
}
