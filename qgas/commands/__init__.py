"""Sub-commands of ``qgas``; see :data:`qgas.cli.COMMANDS`."""
