"""One module per sub-command. Each defines ``register(subparsers)``; ``cli`` finds them."""
