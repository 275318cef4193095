import sys

from daicho.cli import main

sys.exit(main())
