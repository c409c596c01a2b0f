using Realtime.QuoteFeed.Indicators;

return args is ["indicators", ..] ? IndicatorsCommand.Run(args[1..], Console.In, Console.Out, Console.Error) : 2;
