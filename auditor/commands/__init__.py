"""One module per `cardshop-audit` subcommand."""
