"""Refuse answers Partage cannot serve before cookiecutter writes any file of the package.

``partage new-country`` checks the same rules before it calls the template, and also
refuses a code an existing instance configuration already uses; this hook holds plain
``cookiecutter`` runs to the rules that need no configs folder.
"""

import json
import sys

from partage.core.franchise.scaffold import AnswerError, check_answers

ANSWERS = json.loads(r"""{{ cookiecutter | jsonify }}""")

try:
    check_answers(ANSWERS)
except AnswerError as error:
    sys.exit(f"partage: error: {error}")
