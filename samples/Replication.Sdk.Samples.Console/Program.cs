using Replication.Sdk.Samples.Console;

return await SampleApp.RunAsync(args);
