using System.CommandLine;
using Gateway.Configuration;
using Gateway.Stores;
using Gateway.Stores.Postgres;
using Gateway.Stores.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Cli;

/// <summary>
/// <c>Gateway migrate</c>: applies the configured relational store's schema migrations, for operators who run the
/// gateway without DDL rights (<c>Gateway:Store:Migrate=false</c>). Reads the gateway's own configuration, so it
/// migrates exactly the database the gateway would open. Exit codes: 0 done (or nothing to migrate), 2 error.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("migrate", "Apply the relational store's schema migrations (SQLite or PostgreSQL) and exit, for deployments with Gateway:Store:Migrate=false");
        command.SetAction((_, _) => RunAsync(context));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context)
    {
        var (output, error) = (context.Output, context.Error);
        await using var app = CliHost.Build(context);
        if (app is null)
        {
            return GatewayCli.UsageError;
        }
        var selection = app.Services.GetRequiredService<StoreSelection>();
        if (selection.Error is { } invalid)
        {
            await error.WriteLineAsync(invalid);
            return 2;
        }
        if (selection.Provider == StoreProvider.Postgres)
        {
            return await MigratePostgresAsync(selection.ConnectionString, output, error);
        }
        if (selection.Provider != StoreProvider.Sqlite)
        {
            await output.WriteLineAsync($"The {selection.Provider} store has no schema to migrate.");
            return 0;
        }
        try
        {
            var root = app.Environment.ContentRootPath;
            var (before, after) = SqliteMigrations.Migrate(selection.ConnectionString, root, TimeProvider.System);
            var path = SqliteFile.PathOf(selection.ConnectionString, root);
            await output.WriteLineAsync(before == after
                ? $"SQLite {path}: schema already at version {after}."
                : $"SQLite {path}: schema migrated from version {before} to {after}.");
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task<int> MigratePostgresAsync(string connectionString, TextWriter output, TextWriter error)
    {
        try
        {
            await using var source = PostgresStores.CreateDataSource(connectionString);
            var applied = await PostgresMigrations.MigrateAsync(source, NullLogger.Instance, CancellationToken.None);
            await output.WriteLineAsync(applied == 0
                ? $"PostgreSQL: schema already at version {PostgresMigrations.Latest}."
                : $"PostgreSQL: {applied} migration(s) applied, schema at version {PostgresMigrations.Latest}.");
            return 0;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or PostgresSchemaException or ArgumentException)
        {
            await error.WriteLineAsync(e.Message);
            return 2;
        }
    }
}
