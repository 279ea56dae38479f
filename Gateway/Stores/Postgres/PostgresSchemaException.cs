namespace Gateway.Stores.Postgres;

/// <summary>The database's schema version is not the one this gateway needs: the gateway refuses to start.</summary>
internal sealed class PostgresSchemaException(string message) : Exception(message);
