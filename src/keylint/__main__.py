import sys

from keylint.cli import main

sys.exit(main())
