<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>帮助中心 - 蜀游卡盟 - 游戏点卡批发|Q币充值|代理加盟</title>
<style type="text/css">
body{margin:0;font-size:12px;background:#eef3f8;font-family:宋体,SimSun,serif}
table{border-collapse:collapse} td{font-size:12px;line-height:22px}
.top{background:#0b5aa2;color:#fff} .top a{color:#fff;text-decoration:none;margin:0 8px}
.box{border:1px solid #9cc1e4;background:#fff} .tit{background:#dbe9f7;font-weight:bold;color:#0b5aa2;padding-left:8px}
.red{color:#f00} .foot{color:#555;line-height:24px}
</style></head>
<body>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td height="70"><img src="/images/logo.gif" alt="蜀游卡盟" width="260" height="60" align="absmiddle"> <font color="#0b5aa2" size="4"><b>蜀游卡盟</b></font> <font color="#888">十年老店 · 诚信经营</font></td>
<td align="right"><font color="#f60">客服热线：028-85562317</font><br>值班QQ：1873362091 &nbsp; 2215806347</td></tr>
<tr class="top"><td colspan="2" height="32">
<a href="/">网站首页</a>|<a href="/product.asp">商品列表</a>|<a href="/member/index.asp">会员中心</a>|<a href="/help.asp">帮助中心</a>|<a href="/news_12.asp">网站公告</a>|<a href="/about.asp">关于我们</a>|<a href="/reg.asp">免费注册</a>
</td></tr></table>

<table width="980" border="0" align="center" cellpadding="10" class="box" style="margin-top:8px"><tr><td>
<p><b><font size="3" color="#0b5aa2">帮助中心</font></b></p>
<table width="100%" cellpadding="4">
<tr><td width="33%" valign="top"><b>新手入门</b><br>· <a href="/help_show_1.asp">如何注册会员</a><br>· <a href="/help_show_2.asp">账户充值方式</a><br>· <a href="/help_show_3.asp">购卡须知及退换规则</a></td>
<td width="33%" valign="top"><b>常见问题</b><br>· 提取的卡密在哪里查看？<br>· 为什么充值后余额没到账？<br>· 忘记登录密码怎么办？</td>
<td valign="top"><b><a name="daili"></a>代理加盟</b><br>· 代理等级与价格说明<br>· 分站开通流程<br>· 2025年代理价格调整通知</td></tr></table>
<p><b>提取的卡密在哪里查看？</b><br>登录后进入“会员中心 → 已购卡密”，点击订单右侧的“提取”即可显示卡号和密码。每张卡密只显示完整信息一次，之后会部分隐藏，请及时复制保存。</p>
<p><b>为什么充值后余额没到账？</b><br>支付宝充值一般即时到账，网银充值可能延迟5到10分钟。如超过30分钟仍未到账，请把支付凭证发给值班客服。</p>
<p><b>忘记登录密码怎么办？</b><br>在登录框下方点击“找回密码”，通过注册时绑定的手机号重置。手机号已停用的，请联系客服人工核实身份。</p>
<p><b>代理等级与价格说明</b><br>普通会员享受会员价；累计采购满5000元自动升级为银牌代理，享受代理价；满5万元升级为金牌代理，价格另议。代理可以开通分站，分站独立域名需要自行办理备案。</p>
</td></tr></table><table width="980" border="0" align="center" cellpadding="6" cellspacing="0" class="box" style="margin-top:8px">
<tr><td align="center" class="foot">
<a href="/about.asp">关于我们</a> | <a href="/help.asp">帮助中心</a> | <a href="/help_show_3.asp">购卡须知</a> | <a href="/help.asp#daili">代理加盟</a> | <a href="/about.asp#lianxi">联系我们</a><br>
Copyright 2014-2025 蜀游卡盟 All Rights Reserved &nbsp; 客服热线：028-85562317<br>
备案号：蜀ICP备2022014583号-1 &nbsp;&nbsp; <img src="/images/ga.png" width="14" height="14" align="absmiddle"> 川公网安备 51010702043218号<br>
<font color="#999">温馨提示：本站不向未成年人提供服务，请合理安排游戏时间。</font>
</td></tr></table>
</body></html>
