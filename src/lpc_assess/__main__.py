from lpc_assess.cli import main

main()
