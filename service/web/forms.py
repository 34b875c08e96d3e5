"""The page forms: fields, Chinese labels and the messages for a field left empty.

The rules of a value (a password's length, …) live in the use cases in services/, which the API
shares; a form only says a required field is missing.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import InputRequired, Optional


class LoginForm(FlaskForm):
    username = StringField("用户名", [InputRequired("请输入用户名")])
    password = PasswordField("密码", [InputRequired("请输入密码")])


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", [InputRequired("请输入当前密码")])
    new = PasswordField("新密码", [InputRequired("请输入新密码")])
    repeat = PasswordField("再次输入新密码", [InputRequired("请再次输入新密码")])


class TokenForm(FlaskForm):
    name = StringField("令牌名称", [InputRequired("请填写令牌名称")])
    days = IntegerField("有效天数", [Optional()], default=90)
