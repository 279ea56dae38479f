using Gateway;
using Gateway.Cli;
using Gateway.Hosting;

if (GatewayCli.IsCommand(args))
{
    return await GatewayCli.RunAsync(args, Console.In, Console.Out, Console.Error);
}

return StartupErrors.Run(Console.Error, () => GatewayApplication.CreateBuilder(args), builder =>
{
    builder.AddGateway();
    var app = builder.Build();
    app.MapGateway();
    return app;
});
